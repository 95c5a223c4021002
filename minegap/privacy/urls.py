from django.urls import path

from minegap.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.my_data, name="my-data"),
    path("<int:pk>/progress/", views.export_progress, name="export-progress"),
    path("<int:pk>/download/", views.export_download, name="export-download"),
]
