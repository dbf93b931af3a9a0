from django.shortcuts import render

from programs.models import Plan, Program


def home(request):
    year = Plan.objects.latest_year()
    programs = Program.objects.for_year(year).for_listing().in_sheet_order() if year else []
    return render(request, "home.html", {"year": year, "programs": programs})
