from django.urls import path

from history import feeds

app_name = "history"
urlpatterns = [
    path("changes.atom", feeds.changes_atom, name="changes_atom"),
]
