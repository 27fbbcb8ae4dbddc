from faststore_desktop.core.wording import counted


def test_a_count_takes_its_noun_in_the_right_number() -> None:
    assert counted(0, "key") == "0 keys"
    assert counted(1, "key") == "1 key"
    assert counted(2, "key name") == "2 key names"
    assert counted(1, "entry", "entries") == "1 entry"
    assert counted(5, "entry", "entries") == "5 entries"
