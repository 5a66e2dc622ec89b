from __future__ import annotations

import seen.formats


def test_all_names_exactly_what_the_package_exports() -> None:
    public = {name for name in vars(seen.formats) if not name.startswith("_")}
    modules = {name for name in public if type(getattr(seen.formats, name)).__name__ == "module"}
    assert set(seen.formats.__all__) == public - modules
    assert {"read_extract", "DeprivationLookup", "Extract"} <= set(seen.formats.__all__)
