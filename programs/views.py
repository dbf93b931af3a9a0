from django.shortcuts import get_object_or_404, render

from programs.models import Program


def detail(request, pk):
    program = get_object_or_404(Program.objects.for_listing(), pk=pk)
    return render(request, "programs/detail.html", {"program": program})
