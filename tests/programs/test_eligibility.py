import pytest

from programs.eligibility import eligibility_codes


@pytest.mark.parametrize(
    ("target", "codes"),
    [
        ("서울시 사회적경제기업", ["social-economy-enterprise"]),
        ("서울시민, (예비)협동조합", ["cooperative", "pre-cooperative", "citizen"]),
        ("서울시민, 예비협동조합", ["pre-cooperative", "citizen"]),
        ("서울시 예비(사회적)협동조합", ["pre-cooperative", "social-cooperative"]),
        ("2개 이상의 서울시 기본법 협동조합", ["cooperative"]),
        ("자립형/서울형 마을기업", ["village-enterprise"]),
        ("서울시 공무원", ["public-official"]),
        ("서울시 사회적경제 조직, 학술연구기관", ["social-economy-organization", "research"]),
        ("자치구 사회적경제 사업단", ["district"]),
        ("", []),
    ],
)
def test_it_tags_eligibility_from_the_target_text(target, codes):
    assert eligibility_codes(target) == codes
