"""The admin of the plan: programs and their parts (`programs`), plan years
(`plans`). Importing the package registers them all."""

from django.contrib import admin

from programs.admin import plans, programs  # noqa: F401  (registers the model admins)

admin.site.site_header = "서울시 사회적경제 지원사업 포털 관리"
admin.site.site_title = "지원사업 포털 관리"
admin.site.index_title = "관리 메뉴"
