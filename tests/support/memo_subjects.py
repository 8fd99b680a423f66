"""Plain functions and methods for tests/caching/test_memo.py to memoise (each counts its calls)."""

calls: list[str] = []


def headline(article_id: int) -> str:
    calls.append(f"headline:{article_id}")
    return f"Headline {article_id}"


class Section:
    def __init__(self, name: str):
        self.name = name

    def count(self) -> int:
        calls.append(f"count:{self.name}")
        return len(self.name)

    @classmethod
    def main(cls) -> str:
        calls.append("main")
        return "news"

    @staticmethod
    def slugs() -> list[str]:
        calls.append("slugs")
        return ["kosovo", "serbia"]
