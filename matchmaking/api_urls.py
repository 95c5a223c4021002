from django.urls import path

from matchmaking import api, api_blocks

urlpatterns = [
    path("partners/", api.PartnerListView.as_view(), name="api-partners"),
    path("partners/me/", api.OwnProfileView.as_view(), name="api-partners-me"),
    path(
        "partners/me/publish/",
        api.OwnProfilePublicationView.as_view(action="publish"),
        name="api-partners-me-publish",
    ),
    path(
        "partners/me/unpublish/",
        api.OwnProfilePublicationView.as_view(action="unpublish"),
        name="api-partners-me-unpublish",
    ),
    path(
        "partners/recommendations/",
        api.RecommendationListView.as_view(),
        name="api-partners-recommendations",
    ),
    path("partners/<int:pk>/", api.PartnerDetailView.as_view(), name="api-partner"),
    path("partners/blocks/", api_blocks.BlockListCreateView.as_view(), name="api-blocks"),
    path(
        "partners/blocks/<int:organisation_id>/",
        api_blocks.BlockDetailView.as_view(),
        name="api-block",
    ),
    path("interests/", api.InterestListCreateView.as_view(), name="api-interests"),
    path(
        "interests/<int:pk>/withdraw/",
        api.InterestWithdrawView.as_view(),
        name="api-interest-withdraw",
    ),
    path(
        "interests/<int:pk>/accept/",
        api.InterestAnswerView.as_view(answer="accept"),
        name="api-interest-accept",
    ),
    path(
        "interests/<int:pk>/invite/", api.InterestInviteView.as_view(), name="api-interest-invite"
    ),
    path(
        "interests/<int:pk>/decline/",
        api.InterestAnswerView.as_view(answer="decline"),
        name="api-interest-decline",
    ),
]
