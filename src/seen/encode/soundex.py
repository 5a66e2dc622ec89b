"""American Soundex (the rules of the US National Archives), over a normalised name.

The first letter is kept; the others become digits (b f p v: 1; c g j k q s x z: 2; d t: 3;
l: 4; m n: 5; r: 6). Letters with the same digit side by side count once, also across h and w;
a vowel (a e i o u y) between them makes them count twice. The code is cut or padded with zeros
to four characters. Characters other than a-z are ignored, so `smith jones` is coded as
`smithjones`.
"""

from __future__ import annotations

_DIGITS = {
    letter: digit
    for letters, digit in (
        ("bfpv", "1"),
        ("cgjkqsxz", "2"),
        ("dt", "3"),
        ("l", "4"),
        ("mn", "5"),
        ("r", "6"),
    )
    for letter in letters
}


def soundex(name: str) -> str | None:
    """`robert` -> `R163`; None when the name has no letters a-z."""
    letters = [char for char in name if "a" <= char <= "z"]
    if not letters:
        return None
    code = [letters[0].upper()]
    last = _DIGITS.get(letters[0], "")
    for letter in letters[1:]:
        if letter in "hw":
            continue  # h and w do not separate letters with the same digit
        digit = _DIGITS.get(letter, "")  # a vowel gives "" and so separates
        if digit and digit != last:
            code.append(digit)
            if len(code) == 4:
                break
        last = digit
    return "".join(code).ljust(4, "0")
