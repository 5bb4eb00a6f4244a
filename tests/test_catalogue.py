from core.catalogue import indicator_codes, indicators_frame, levels_frame, pillars_frame


def test_39_indicators_in_4_pillars_with_criteria_and_sources():
    ind = indicators_frame()
    assert len(ind) == 39 and ind["code"].is_unique
    assert ind.groupby("pillar").size().to_dict() == {1: 10, 2: 8, 3: 12, 4: 9}
    for col in ("name_vi", "name_en", "red_vi", "yellow_vi", "green_vi", "red_en", "green_en"):
        assert ind[col].str.len().min() >= 5, col
    # Doubts stay visible: confidence and notes are kept from the research.
    assert set(ind["confidence"]) == {"medium"}
    assert ind["notes"].str.len().min() > 0
    assert indicator_codes()[0] == "1.1" and indicator_codes()[-1] == "4.9"


def test_pillars_and_levels():
    assert pillars_frame()["name_vi"].tolist()[0] == "Xây dựng thể chế"
    assert levels_frame()["level"].tolist() == ["red", "yellow", "green"]
