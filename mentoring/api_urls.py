"""The mentoring app has no API yet: its records are read on its pages (mounted with the
other apps' API URLs so that adding one needs no change to minegap/urls.py)."""

urlpatterns: list = []
