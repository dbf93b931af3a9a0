app_name = "schedules"

urlpatterns = []
