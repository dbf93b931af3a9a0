from django.urls import path

from schedules import views

app_name = "schedules"

urlpatterns = [
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/<int:year>/<int:month>/", views.month, name="month"),
    path("calendar.ics", views.calendar_ics, name="ics"),
    path("programs/<int:pk>/calendar.ics", views.program_ics, name="program_ics"),
]
