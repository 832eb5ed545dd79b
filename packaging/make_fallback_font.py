"""Rebuild resources/fonts/FrontdeskRareHan.ttf: HanaMinA cut to what Noto Sans SC lacks.

Needs Debian's fonts-hanazono and fontTools. Run from the repository root.
"""

from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

HANAZONO = Path("/usr/share/fonts/truetype/hanazono/HanaMinA.ttf")
FONTS = Path("resources/fonts")
NAME = "FrontdeskRareHan"


def main() -> None:
    noto = TTFont(FONTS / "NotoSansSC-Regular.ttf").getBestCmap()
    hana = TTFont(HANAZONO)
    wanted = sorted(u for u in hana.getBestCmap() if u not in noto and u >= 0x2E80)
    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.layout_features = []
    cutter = subset.Subsetter(options)
    cutter.populate(unicodes=wanted)
    cutter.subset(hana)
    # A name of its own, so it never collides with a full HanaMinA in a PDF or in Qt.
    names = {1: NAME, 3: f"{NAME}-Regular", 4: NAME, 6: f"{NAME}-Regular", 16: NAME,
             17: "Regular"}
    for record in hana["name"].names:
        if record.nameID in names:
            record.string = names[record.nameID]
    hana.save(FONTS / f"{NAME}.ttf")
    print(f"{len(wanted)} code points")


if __name__ == "__main__":
    main()
