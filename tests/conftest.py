"""Shared fixtures. `plan_2019` imports the shipped sheet through the real
import command; `make_program` builds small plans by hand for focused tests;
`editor_client` is logged in as a member of 편집자, as center staff are."""

import io

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from contacts.models import ContactDesk
from programs.models import Eligibility, Plan, Program, ProgramContact, Section, SupportArea
from schedules.models import Milestone


@pytest.fixture
def make_program(db):
    """make_program(name, area="상담", section="협동조합 지원사업", year=2019,
    milestones=[(label, start, end)], contacts=[(org, team, phone)], eligibility=[codes])"""

    def make(
        name,
        *,
        area="상담",
        section="협동조합 지원사업",
        year=2019,
        target="",
        milestones=(),
        contacts=(),
        eligibility=(),
        **fields,
    ):
        plan, _ = Plan.objects.get_or_create(year=year)
        section_obj, _ = Section.objects.get_or_create(
            plan=plan, name=section, defaults={"position": Section.objects.count()}
        )
        area_obj, _ = SupportArea.objects.get_or_create(
            plan=plan,
            name=area,
            defaults={"section": section_obj, "position": SupportArea.objects.count()},
        )
        program = Program.objects.create(
            area=area_obj, name=name, target=target, position=Program.objects.count(), **fields
        )
        for label, start, end in milestones:
            Milestone.objects.create(program=program, label=label, start_month=start, end_month=end)
        for position, (organization, team, phone) in enumerate(contacts):
            desk, _ = ContactDesk.objects.get_or_create(
                organization=organization, team=team, phone=phone
            )
            ProgramContact.objects.create(program=program, desk=desk, position=position)
        if eligibility:
            program.eligibility.set(Eligibility.objects.filter(code__in=eligibility))
        program.refresh_search_text()
        return program

    return make


from tests.support.paths import PLAN_2019_XLSX  # noqa: E402
from tests.support.production import use_production_security  # noqa: E402


@pytest.fixture
def plan_2019(db):
    """The shipped 2019 plan (2 sections, 16 areas, 44 programs), imported with
    `import_programs` exactly as `make run` does. Returns the Plan."""
    call_command("import_programs", str(PLAN_2019_XLSX), stdout=io.StringIO())
    return Plan.objects.get(year=2019)


@pytest.fixture
def two_plans(plan_2019, make_program):
    """The shipped 2019 plan and a 2020 one of a single program, so that year
    switching and the per-year choices are exercised too."""
    make_program("2020 컨설팅", area="컨설팅", year=2020, milestones=[("모집공고", 1, 1)])


@pytest.fixture
def production(settings):
    """The test process with portal/settings.py's production security values."""
    return use_production_security(settings)


@pytest.fixture
def editor(db):
    user = User.objects.create_user("editor", password="correct horse battery", is_staff=True)
    user.groups.add(Group.objects.get(name="편집자"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
