from django.urls import path
from django.views.generic import TemplateView

app_name = "ledger"
urlpatterns = [path("", TemplateView.as_view(template_name="core/dashboard.html"), name="list")]
