"""Screening against the real BIS lists: every form of a name, both directions, near misses."""

from __future__ import annotations

import pytest

from computewatch.names.analyze import analyze_name
from computewatch.screening.model import Query


def best(screener, name: str, country: str = "", schema: str = ""):  # type: ignore[no-untyped-def]
    matches = screener.screen(Query(name, country=country, schema=schema))
    return matches[0] if matches else None


def matched_captions(screener, name: str, country: str = "") -> set[str]:  # type: ignore[no-untyped-def]
    return {m.entity.caption for m in screener.screen(Query(name, country=country)) if m.match}


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        # Han (simplified and traditional) against English list names
        ("北京航空航天大学", "Beijing University of Aeronautics and Astronautics (BUAA)"),
        ("浪潮集团有限公司", "Inspur Group Co., Ltd."),
        ("哈爾濱工業大學", "Harbin Institute of Technology"),
        ("中国人民解放军国防科技大学", "National University of Defense Technology (NUDT)"),
        ("杭州海康威视数字技术股份有限公司", "Hangzhou Hikvision Digital Technology Co., Ltd."),
        # pinyin with and without spaces
        ("Haerbin Gongcheng Daxue", "Harbin Engineering University"),
        ("beijinghangkonghangtiandaxue", "Beijing University of Aeronautics and Astronautics (BUAA)"),
        # word order, abbreviations, company forms, typos, case and punctuation
        ("Inspur Electronic Information Industry (Beijing) Co., Ltd.", "Inspur (Beijing) Electronic Information Industry Co., Ltd."),
        ("Hikvision Digital Tech Co", "Hangzhou Hikvision Digital Technology Co., Ltd."),
        ("Inspur Group Company Limited", "Inspur Group Co., Ltd."),
        ("Huawie Technologies Co., Ltd.", "Huawei Technologies Co., Ltd."),
        ("HARBIN INSTITUTE OF TECHNOLOGY", "Harbin Institute of Technology"),
        ("Beijing Sense-Time Technology Development Co. Ltd", "Beijing Sensetime Technology Development Co., Ltd."),
    ],
)
def test_forms_of_listed_names_match(real_screener, query: str, listed: str):
    assert listed in matched_captions(real_screener, query, "CN")


def test_english_query_meets_a_han_alias_and_back(real_screener):
    # fictional list entry: English name with a Han alias (tests/fixtures/lists/fictional.ftm.jsonl)
    assert "Qinghe Cloud Computing Technology Co., Ltd." in matched_captions(real_screener, "青禾云算科技有限公司")
    assert "Qinghe Cloud Computing Technology Co., Ltd." in matched_captions(real_screener, "Qinghe Yunsuan Keji Youxian Gongsi")
    assert "Lin Qiaoyu" in matched_captions(real_screener, "林巧雨")
    assert "Lin Qiaoyu" in matched_captions(real_screener, "Qiaoyu Lin")


def test_han_characters_meet_a_listed_name_written_in_joined_pinyin(real_screener):
    """星 is 'star' or 'xing': run together with 桥 it meets 'Xingqiao' (fictional entry)."""
    listed = "Xingqiao Yuntu Technology (Beijing) Co., Ltd."
    assert listed in matched_captions(real_screener, "星桥云图科技（北京）有限公司", "CN")
    assert listed in matched_captions(real_screener, "星橋雲圖科技(北京)有限公司")  # traditional
    assert listed not in matched_captions(real_screener, "星桥数据科技有限公司")  # shares one word
    assert listed not in matched_captions(real_screener, "新桥云图科技（北京）有限公司")  # xinqiao, another name


@pytest.mark.parametrize(
    "query",
    [
        "天津理工大学",  # Tianjin University of Technology, not the listed Tianjin University
        "Tianjin University of Technology",
        "南京信息工程大学",  # not Nanjing University of Science and Technology
        "Hong Kong University of Science and Technology",  # not USTC
        "Shenzhen Lumenbright Technology Co., Ltd.",  # shares only its city and 'Technology Co., Ltd.'
        "Beijing Qinglan Technology Co., Ltd.",
        "深圳市岚峰科技有限公司",  # fictional Shenzhen company: city + 'Technology Co., Ltd.' only
    ],
)
def test_near_misses_do_not_match(real_screener, query: str):
    assert not matched_captions(real_screener, query, "CN"), real_screener.screen(Query(query))[:1]


def test_another_city_is_not_the_same_university(real_screener):
    assert "Tianjin University" in matched_captions(real_screener, "天津大学")
    assert not matched_captions(real_screener, "Tianjin Normal University")


def test_country_raises_or_lowers_but_never_filters(real_screener):
    same = best(real_screener, "Inspur Group", "CN")
    other = best(real_screener, "Inspur Group", "BR")
    none = best(real_screener, "Inspur Group")
    assert same.entity.caption == other.entity.caption == none.entity.caption == "Inspur Group Co., Ltd."
    assert same.score > none.score > other.score or same.score == 1.0 > other.score
    assert "Raised" in same.explanation and "Lowered" in other.explanation


def test_schema_keeps_people_and_companies_apart(real_screener):
    assert best(real_screener, "Lin Qiaoyu", schema="Company") is None
    assert best(real_screener, "Lin Qiaoyu", schema="Person").entity.caption == "Lin Qiaoyu"


def test_explanation_names_the_forms_that_made_names_meet(real_screener):
    m = best(real_screener, "浪潮集团有限公司", "CN")
    assert m.match and m.score >= 0.8
    text = m.explanation
    assert "浪潮" in text and "inspur" in text  # the glossary rendering
    assert "有限公司" in text  # the company type set aside
    assert "Inspur Group Co., Ltd." in text
    assert "threshold" in text
    assert m.features["aligned"] and m.to_record()["explanation"] == text


def test_explanation_says_what_lowered_a_score(real_screener):
    m = best(real_screener, "Tianjin University of Technology")
    assert m is not None and not m.match
    assert "technology" in m.features["only_in_query"]
    assert "Lowered" in m.explanation


def test_blocking_scores_a_few_names_not_the_whole_list(real_screener):
    index = real_screener.index
    for name in ("Huawei Technologies Co., Ltd.", "北京航空航天大学", "Kestrel Northgate Data Sdn. Bhd."):
        assert len(index.candidates(analyze_name(name), 8)) <= 24 < len(index.names) // 100


def test_scores_stay_in_range_and_sorted(real_screener):
    matches = real_screener.screen(Query("Huawei Technologies", country="CN"))
    scores = [m.score for m in matches]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= s <= 1.0 for s in scores)


def test_a_rendering_that_overlaps_the_next_segment_counts_once(real_screener):
    # 景嘉微 is rendered 'jingjia microelectronic', so the 电子 'electronic' after it says nothing new
    m = best(real_screener, "长沙景嘉微电子股份有限公司")
    assert m is not None and m.match and m.entity.caption == "Changsha Jingjia Microelectronics Co., Ltd."
    assert "electronic (said already by microelectronic)" in m.explanation
    # the institute's own English name carries its parent group's 'AVIC': the parent slot is not a second,
    # unmatched 'Aviation Industry Corporation of China'
    m = best(real_screener, "中国航空工业集团公司雷华电子技术研究所")
    assert m is not None and m.match and m.entity.caption.startswith("AVIC Leihua Electronic Technology Research Institute")
    assert "only in query" not in m.explanation


def test_words_typed_as_they_are_are_never_echoes(real_screener):
    # in Latin script each word was written by someone: a repeated word still counts against the match
    m = best(real_screener, "Changsha Jingjia Microelectronics Electronics Trading Co., Ltd.")
    assert m is None or "said already" not in m.explanation


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Chengdu Aircraft Industrial Group Co., Ltd.", "AVIC Chengdu Aircraft Industrial (GROUP) Co., Ltd."),
        ("成都飞机工业（集团）有限责任公司", "AVIC Chengdu Aircraft Industrial (GROUP) Co., Ltd."),
        ("Harbin Dongan Engine Co., Ltd.", "AECC Harbin Dongan Engine Co., Ltd."),
    ],
)
def test_a_state_group_prefix_only_the_list_gives_counts_little(real_screener, query: str, listed: str):
    assert listed in matched_captions(real_screener, query, "CN")


def test_a_different_state_group_still_counts_in_full(real_screener):
    # AVIC against AECC: two different groups, so the prefix is not set aside
    assert "AECC Harbin Dongan Engine Co., Ltd." not in matched_captions(real_screener, "AVIC Harbin Dongan Engine Co., Ltd.", "CN")
