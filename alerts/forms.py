from django import forms

from alerts.addresses import MAX_LENGTH, AddressError, clean_address

CONSENT_REQUIRED = "개인정보 수집·이용에 동의해야 알림을 받을 수 있습니다. 동의란에 표시해 주세요."


class SubscribeForm(forms.Form):
    # A CharField, not an EmailField: alerts.addresses decides, with its own messages.
    email = forms.CharField(label="이메일 주소", max_length=MAX_LENGTH * 4, strip=False)
    consent = forms.BooleanField(
        label="위 내용을 읽었으며 개인정보 수집·이용에 동의합니다.",
        error_messages={"required": CONSENT_REQUIRED},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages["required"] = "이메일 주소를 입력해 주세요."
        self.fields["email"].error_messages["max_length"] = "주소가 너무 깁니다."

    def clean_email(self):
        try:
            return clean_address(self.cleaned_data["email"])
        except AddressError as exc:
            raise forms.ValidationError(str(exc), code="address") from None

    def summary(self) -> list[tuple[str, str]]:
        """(field id, message) for the error summary, in the order of the form."""
        labels = {"email": "이메일 주소", "consent": "개인정보 수집·이용 동의"}
        return [
            (f"id_{name}", f"{labels[name]}: {error}")
            for name in ("email", "consent")
            for error in self.errors.get(name, [])
        ]
