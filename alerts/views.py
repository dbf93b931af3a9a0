"""The alert pages. None is page-cached: each uses a CSRF token or reads a
personal link, and the forms POST."""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from alerts import limits, subscribing
from alerts.digest import describe, describe_query, followed_query
from alerts.forms import SubscribeForm
from alerts.models import Subscription
from alerts.tokens import MAX_AGE_DAYS, LinkError, binds, read_confirmation_token
from programs.filters import search_programs
from schedules.status import seoul_today

FILTER_ANCHOR = "alert-filter"
FILTER_PROBLEM = (
    "따라갈 조건: 주소에 담긴 조건 일부를 쓸 수 없습니다. 조건을 고친 뒤 신청해 주세요."
)


@require_http_methods(["GET", "POST"])
def subscribe(request):
    search = search_programs(request.GET, path=reverse("programs:catalogue"))
    query = followed_query(search)
    form = SubscribeForm(request.POST if request.method == "POST" else None)
    status, errors = 200, []
    if request.method == "POST":
        valid = form.is_valid()
        errors = form.summary()
        if search.messages:
            errors.insert(0, (FILTER_ANCHOR, FILTER_PROBLEM))
        if valid and not errors:
            email = form.cleaned_data["email"]
            limit = limits.first_exceeded(request.META.get("REMOTE_ADDR", ""), email)
            if limit is None:
                base_url = request.build_absolute_uri("/").rstrip("/")
                subscribing.request_subscription(
                    email,
                    query,
                    base_url=base_url,
                    confirm_url=lambda token: base_url + reverse("alerts:confirm", args=[token]),
                    description=describe(search),
                )
                return redirect("alerts:sent")
            status, errors = 429, [("", limit.message)]
        else:
            status = 400
    context = {
        "form": form,
        "errors": errors,
        "search": search,
        "messages_list": search.messages,
        "understood_url": reverse("alerts:subscribe") + (f"?{query}" if query else ""),
        "catalogue_url": reverse("programs:catalogue") + (f"?{query}" if query else ""),
        "matching": search.programs.count(),
        "year_note": year_note(search),
        "filter_anchor": FILTER_ANCHOR,
    }
    response = render(request, "alerts/subscribe.html", context, status=status)
    if status == 429:
        response["Retry-After"] = str(limit.seconds)
    return response


def year_note(search) -> str:
    """Which plan year the alerts follow: the one in the URL, or the newest one."""
    if any(name == "year" for name, _ in search.params):
        return f"{search.year}년 계획을 따라갑니다."
    if search.year is None:
        return "계획이 올라오면 가장 최근 연도 계획을 따라갑니다."
    return (
        f"가장 최근 연도 계획을 따라갑니다(지금은 {search.year}년). "
        "새 연도 계획이 올라오면 그 계획으로 넘어갑니다."
    )


def sent(request):
    return render(request, "alerts/sent.html", {"max_age_days": MAX_AGE_DAYS})


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET shows one button; only its POST confirms, so a mail scanner that
    opens every link in a message cannot subscribe anyone."""
    try:
        pk, binding = read_confirmation_token(token)
    except LinkError as problem:
        reason = "expired" if problem.expired else "invalid"
        return link_problem(request, reason, status=400)
    subscription = Subscription.objects.filter(pk=pk).first()
    if subscription is None or not binds(subscription, binding):
        return link_problem(request, "gone", status=404)
    context = {"subscription": subscription, "description": _description(subscription)}
    if request.method == "POST":
        context["matching"] = subscribing.confirm(subscription, seoul_today())
        return render(request, "alerts/confirmed.html", context)
    if subscription.is_confirmed:
        return render(request, "alerts/confirmed.html", context)
    return render(request, "alerts/confirm.html", context)


LINK_PROBLEMS = {
    "invalid": "링크가 올바르지 않습니다. 메일에 있는 링크 전체를 그대로 열어 주세요.",
    "expired": f"확인 링크의 유효 기간({MAX_AGE_DAYS}일)이 지났습니다. 알림을 다시 신청해 주세요.",
    "gone": (
        "이 신청은 더 이상 없습니다. 확인하지 않은 신청은 7일 뒤 삭제됩니다. 다시 신청해 주세요."
    ),
}


def link_problem(request, reason: str, status: int):
    context = {"message": LINK_PROBLEMS[reason]}
    return render(request, "alerts/link_problem.html", context, status=status)


def _description(subscription) -> str:
    return describe_query(subscription.query)


def _is_one_click(request) -> bool:
    return request.POST.get("List-Unsubscribe") == "One-Click"


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """RFC 8058 one-click: a mail provider POSTs `List-Unsubscribe=One-Click` to
    the link in the header, with no cookie and no page; the unguessable token in
    the URL is the proof. A person opening the link gets one button instead,
    a form protected against cross-site requests as every other form is."""
    if request.method == "POST" and _is_one_click(request):
        subscribing.unsubscribe(token)
        return HttpResponse("구독을 해지했습니다.", content_type="text/plain; charset=utf-8")
    return _unsubscribe_page(request, token)


@csrf_protect
def _unsubscribe_page(request, token):
    if request.method == "POST":
        subscribing.unsubscribe(token)
        return render(request, "alerts/unsubscribed.html")
    subscription = Subscription.objects.filter(token=token).first()
    if subscription is None:
        return render(request, "alerts/unsubscribed.html", {"already": True})
    context = {"subscription": subscription, "description": _description(subscription)}
    return render(request, "alerts/unsubscribe.html", context)
