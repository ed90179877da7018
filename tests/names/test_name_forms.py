"""Name analysis: scripts, pinyin, glossary words, company-type forms, numbers, abbreviations."""

from __future__ import annotations

from pathlib import Path

import pytest

from computewatch.errors import InputError
from computewatch.names.analyze import analyze_name
from computewatch.names.glossary import KINDS, default_glossary, read_glossary
from computewatch.names.han import chinese_numeral_value
from computewatch.names.variants import name_variants


def tokens(name: str) -> tuple[str, ...]:
    return analyze_name(name).tokens


def test_simplified_and_traditional_meet():
    assert tokens("哈尔滨工程大学") == tokens("哈爾濱工程大學")
    assert "traditional" in analyze_name("哈爾濱工程大學").notes[0]


def test_han_pinyin_with_and_without_spaces_and_english_meet():
    english = tokens("Harbin Engineering University")
    assert tokens("哈尔滨工程大学") == english
    assert tokens("Haerbin Gongcheng Daxue") == english
    assert tokens("haerbingongchengdaxue") == english


@pytest.mark.parametrize(
    ("han", "english"),
    [
        ("科技", "technology"),
        ("集团", "group"),
        ("电子", "electronic"),
        ("信息", "information"),
        ("集成电路", "integrated circuit"),
        ("航空航天", "aeronautic astronautic"),
        ("中国科学院", "chinese academy science"),
    ],
)
def test_glossary_translates_name_words(han: str, english: str):
    rendered = {" ".join(a) for slot in analyze_name(han).slots for a in slot.alternatives}
    assert english in rendered


@pytest.mark.parametrize(
    "name",
    ["Foo Technology Co., Ltd.", "Foo Technology Company Limited", "Foo Technology Limited", "Foo Technology Pte. Ltd.",
     "Foo Technology Sdn. Bhd.", "Foo Technology LLC", "Foo Technology FZE", "Foo Tech Co Ltd"],
)
def test_company_type_forms_are_set_aside(name: str):
    form = analyze_name(name)
    assert form.tokens == ("foo", "technology")
    assert form.legal_forms


def test_han_company_type_is_set_aside():
    form = analyze_name("浪潮集团有限公司")
    assert form.tokens == ("inspur", "group")
    assert form.legal_forms == ("有限公司",)


def test_word_order_and_parentheses_do_not_change_tokens():
    assert sorted(tokens("Beijing Foo Technology Co., Ltd.")) == sorted(tokens("Foo Technology (Beijing) Co., Ltd."))


def test_abbreviations_expand():
    assert tokens("Foo Intl Tech Grp") == tokens("Foo International Technology Group")
    assert tokens("Northwestern Polytech. Univ.") == tokens("Northwestern Polytechnical University")


def test_dotted_initialisms_are_one_word():
    assert tokens("Summit Bridge A.I. Services Private Limited") == tokens("Summit Bridge AI Services Pte. Ltd.")
    assert tokens("Orchid U.S.A Holdings") == tokens("Orchid USA Holdings")
    assert analyze_name("Foo S.p.A.").legal_forms == ("SpA",)  # a dotted company type is still set aside
    assert tokens("J. R. Fenwick") == ("j", "r", "fenwick")  # spaced initials of a person stay apart


def test_numbers_in_han_and_english_meet():
    assert chinese_numeral_value("十四") == 14
    assert chinese_numeral_value("七〇七") == 707
    assert chinese_numeral_value("一百零八") == 108
    assert "14" in tokens("第十四研究所") and "14" in tokens("14th Research Institute")
    assert "2" in tokens("Second Academy")


def test_pinyin_words_are_not_split_across_english_words():
    # 'Shanghai Shengwei' is not 上海省 + 'wei'
    assert tokens("Shanghai Shengwei Semiconductor") == ("shanghai", "shengwei", "semiconductor")
    # but a place with its administrative suffix written together is read as the place
    assert tokens("Beijingshi")[0] == "beijing"


def test_list_name_variants():
    assert name_variants("Beijing University of Aeronautics and Astronautics (BUAA)")[1:] == [
        "Beijing University of Aeronautics and Astronautics", "BUAA"]
    assert "Rosneft" in name_variants("Rosneft (a.k.a. Open Joint-Stock Company Rosneft Oil Company")
    # an acronym of the parent inside the name is not the entity's own name
    assert "CSSC" not in name_variants("China State Shipbuilding Corporation, Limited (CSSC) 717th Research Institute")


def test_a_closing_parenthetical_is_a_short_or_long_name_of_its_own():
    # the entity's short name after its full name, and the full name after a short one
    assert name_variants("Zhukovskiy Central Aerohydrodynamics Institute (TsAGI)")[1:] == [
        "TsAGI", "Zhukovskiy Central Aerohydrodynamics Institute"]
    assert set(name_variants("Rostec (Russian Technologies State Corporation)")) >= {
        "Rostec", "Russian Technologies State Corporation"}
    # not a place, a company type, one ordinary word, a remark or a former name
    for name in ("Corad Technology Ltd. (Shenzhen)", "AccoTest Technology Co., Ltd. (Hong Kong)",
                 "Wuhan Yifei Intelligent Management Consulting Partnership (Limited Partnership)",
                 "United Electronics Group Co. Ltd. (United)", "Southeast Trading LTD. (See also addresses under Finland)",
                 "Zorsecurity Center (f.k.a., Esage Lab)"):
        assert name_variants(name)[1:] in ([], ["Zorsecurity Center", "Esage Lab"]), name
    # another spelling of one word of the name: the name spelt that way, not the word alone
    assert name_variants("Lev Anatolyevich Yershov (Ershov)")[1:] == ["Lev Anatolyevich Ershov", "Lev Anatolyevich Yershov"]
    assert name_variants("Lev Yershov (Ershov)", organisation=False) == ["Lev Yershov (Ershov)"]  # a Person: as written


def test_glossary_is_large_and_sourced():
    glossary = default_glossary()
    assert len(glossary) >= 500
    assert all(e.source for e in glossary.by_han.values())
    assert {e.kind for e in glossary.by_han.values()} <= KINDS


def test_glossary_loader_rejects_bad_rows(tmp_path: Path):
    bad = tmp_path / "g.tsv"
    bad.write_text("han\tenglish\tkind\tsource\n大学\tUniversity\tword\tx\n大学\tCollege\tword\ty\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_glossary(bad)
    assert err.value.problems[0].line == 3 and err.value.problems[0].field == "han"
    bad.write_text("han\tenglish\tkind\tsource\n大学\tUniversity\tnoun\tx\n", encoding="utf-8")
    with pytest.raises(InputError, match="kind"):
        read_glossary(bad)


def test_an_english_word_is_not_read_as_a_transliterated_russian_one():
    """'Company' shares its spelling key with 'Kompaniya' (компания): typed in English it is
    its own word, while 'Kompaniya' and 'Zavod' typed in Latin letters are still translated."""
    english = analyze_name("Emal Bilal Construction Company")
    assert [s.how for s in english.slots] == ["word"] * 4
    assert not english.translations()
    for name, translated in (("Kompaniya Sukhoi", "company"), ("Zavod Progress", "plant")):
        form = analyze_name(name)
        assert form.slots[0].how.startswith("world:ru")
        assert any(translated in alt for alt in form.slots[0].alternatives)
