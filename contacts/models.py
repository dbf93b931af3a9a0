from django.core.exceptions import ValidationError
from django.db import models

from contacts.phones import PhoneError, display_phone, normalise_phone, tel_href
from portal.fields import only_web_addresses, web_address

# How desks are listed: the admin, the home page and the plan's pages alike.
DESK_ORDER = ["organization", "team", "phone"]


class ContactDeskQuerySet(models.QuerySet):
    def for_year(self, year: int):
        """Desks that serve at least one program of that year's plan (home page)."""
        return (
            self.filter(program_links__program__area__plan_id=year).distinct().order_by(*DESK_ORDER)
        )


def _name_field(label: str, examples: str, missing: str) -> models.CharField:
    """Who answers: the organisation or the team, as the sheet names them."""
    return models.CharField(
        label,
        max_length=100,
        blank=True,
        help_text=f"예: {examples}. 계획표에 {missing}이 없으면 비워 두세요.",
    )


class ContactDesk(models.Model):
    """A desk people call: one team of one organisation, stored once and shared
    by every program it answers for (판로지원팀 070-4267-5038 serves three)."""

    organization = _name_field("기관", "서울시협동조합지원센터, 신나는조합", "기관명")
    team = _name_field("부서·팀", "판로지원팀, 기획전략실", "팀명")
    phone = models.CharField(
        "전화번호",
        max_length=20,
        blank=True,
        help_text="국내 번호(예: 070-4267-5038, 1544-5077). 저장할 때 형식을 검사합니다.",
    )
    url = web_address(
        "웹 주소", "신청·안내 페이지 주소(예: https://www.seoulcoop.net). http(s)만 허용됩니다."
    )

    objects = ContactDeskQuerySet.as_manager()

    class Meta:
        verbose_name = "문의처"
        verbose_name_plural = "문의처"
        ordering = DESK_ORDER
        constraints = [
            # The importer finds an existing desk by these three fields.
            models.UniqueConstraint(
                fields=["organization", "team", "phone", "url"], name="contact_desk_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(organization="", team="", phone="", url=""),
                name="contact_desk_not_empty",
            ),
            only_web_addresses("url", name="contact_desk_url_is_web_address"),
        ]

    def __str__(self):
        return " ".join(part for part in (self.name, self.phone_display) if part) or "문의처"

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.organization, self.team) if part)

    @property
    def phone_display(self) -> str:
        return display_phone(self.phone)

    @property
    def tel_href(self) -> str:
        return tel_href(self.phone)

    def clean(self):
        try:
            self.phone = normalise_phone(self.phone)
        except PhoneError as exc:
            raise ValidationError({"phone": str(exc)}) from exc
        if not any((self.organization, self.team, self.phone, self.url)):
            raise ValidationError("기관, 팀, 전화번호, 웹 주소 중 하나는 적어야 합니다.")
