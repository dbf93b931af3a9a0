from django.urls import path

from programs import views

app_name = "programs"

urlpatterns = [
    path("programs/<int:pk>/", views.detail, name="detail"),
]
