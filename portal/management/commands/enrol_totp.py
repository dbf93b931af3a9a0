"""직원 계정에 TOTP 인증 기기를 등록하고 인증 앱에 넣을 otpauth:// 주소를 출력합니다. Enrol a
TOTP device for a staff account and print its otpauth:// URI.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.commands import add_switch


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("username", help="사용자 이름 (user name)")
        parser.add_argument(
            "--name", default="인증 앱", help="기기 이름, 로그인 화면에 보입니다 (device name)"
        )
        add_switch(
            parser, "--replace", "이 계정의 기존 기기를 모두 지우고 새로 등록합니다 (lost phone)"
        )

    @transaction.atomic
    def handle(self, username, name, replace, **options):
        User = get_user_model()
        try:
            user = User.objects.get_by_natural_key(username)
        except User.DoesNotExist:
            raise CommandError(f"사용자 {username!r}가 없습니다 (no such user).") from None
        if not user.is_staff:
            raise CommandError(
                f"{username!r}는 직원 계정이 아닙니다: 관리 화면에 들어갈 수 없으므로 "
                "기기가 필요 없습니다 (not a staff account)."
            )

        devices = TOTPDevice.objects.devices_for_user(user, confirmed=None)
        if replace:
            removed = devices.count()
            devices.delete()
            if removed:
                self.stdout.write(self.style.WARNING(f"기존 기기 {removed}개를 지웠습니다."))
        elif devices.filter(name=name).exists():
            raise CommandError(
                f"{username!r}에게 이미 {name!r} 기기가 있습니다. 다른 --name을 쓰거나 "
                "--replace로 바꾸세요 (device exists)."
            )

        device = TOTPDevice.objects.create(user=user, name=name, confirmed=True)
        self.stdout.write(self.style.SUCCESS(f"{username}에게 TOTP 기기 {name!r}를 등록했습니다."))
        self.stdout.write(
            "인증 앱(Google Authenticator, Microsoft Authenticator 등)에 아래 주소를 넣으세요. "
            "QR 코드가 필요하면 이 주소로 만드세요. 이 주소는 비밀번호처럼 다루세요:"
        )
        self.stdout.write(device.config_url)
