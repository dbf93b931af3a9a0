from django.urls import path

from programs import views

app_name = "programs"

urlpatterns = [
    path("programs/", views.catalogue, name="catalogue"),
    path("programs/<int:pk>/", views.detail, name="detail"),
    path("programs.json", views.programs_json, name="json"),
    path("programs.csv", views.programs_csv, name="csv"),
    path("programs.xlsx", views.programs_xlsx, name="xlsx"),
]
