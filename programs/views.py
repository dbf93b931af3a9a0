from django.shortcuts import get_object_or_404, render

from programs.models import Plan, Program


def home(request):
    year = Plan.objects.latest_year()
    programs = Program.objects.for_year(year).for_listing().in_sheet_order() if year else []
    return render(request, "home.html", {"year": year, "programs": programs})


def detail(request, pk):
    program = get_object_or_404(Program.objects.for_listing(), pk=pk)
    return render(request, "programs/detail.html", {"program": program})
