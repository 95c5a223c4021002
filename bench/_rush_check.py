"""After the rush, read the database (bench settings, the run database): for each draft, its one
answer row holds the last acknowledged save, and an acknowledged submission left exactly one
submitted version. Reads JSON from stdin, prints JSON."""

import json
import sys

import django

django.setup()

from calls.models import Answer, ApplicationVersion  # noqa: E402


def main() -> None:
    acknowledged = json.load(sys.stdin)
    lost_saves = lost_submissions = duplicated = 0
    for row in acknowledged:
        answers = list(
            Answer.objects.filter(
                application_id=row["application"], question_id=row["question"]
            ).values_list("text", flat=True)
        )
        if len(answers) != 1:
            duplicated += len(answers) > 1
            lost_saves += not answers
        elif row["last_saved"] is not None and answers[0] != row["last_saved"]:
            lost_saves += 1
        versions = ApplicationVersion.objects.filter(application_id=row["application"]).count()
        if row["submitted"] and versions == 0:
            lost_submissions += 1
        if versions > 1:
            duplicated += 1
    print(
        json.dumps(
            {
                "lost_saves": lost_saves,
                "lost_submissions": lost_submissions,
                "duplicated": duplicated,
            }
        )
    )


if __name__ == "__main__":
    main()
