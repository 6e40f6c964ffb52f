"""looks_binary is one regex scan now; it must say what the character-by-character count said."""
import random

from reprintwatch.articles import looks_binary


def counted(text: str) -> bool:  # the definition it replaced
    sample = text[:4096]
    if "\x00" in sample:
        return True
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f\v") or ch == "\ufffd")
    return bad > max(8, len(sample) // 50)


def test_looks_binary_agrees_with_the_character_count():
    rng = random.Random(7)
    alphabet = ["新", "华", "社", "a", " ", "\t", "\n", "\r", "\f", "\v", "\x01", "\x08", "\x0e", "\x1b", "\x1f",
                "\x7f", "\ufffd", "\x00", "\u2028", "😀"]
    texts = ["", "正常的新闻文本。\n第二段。", "\x1b[31m" * 20, "新" * 5000 + "\x01" * 200, "\x01" * 200 + "新" * 5000]
    for _ in range(3000):
        n = rng.choice((5, 60, 500, 5000))
        weights = [rng.random() ** 6 for _ in alphabet]
        texts.append("".join(rng.choices(alphabet, weights, k=n)))
    assert [looks_binary(t) for t in texts] == [counted(t) for t in texts]
    assert looks_binary("\x01" * 9) and not looks_binary("\x01" * 8) and not looks_binary("新闻\t\n\r\f\v" * 50)
