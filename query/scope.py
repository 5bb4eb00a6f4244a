"""Which units a view covers, passed into the SQL so filtering happens in DuckDB.

A scope is the whole country (every loaded unit), one province, one district inside a province
(2020-2023 units only: the 2025 reform abolished districts), and optionally one unit type. Units
and provinces are named by ``locality_id`` ('2020:31', '2025:31'): a GSO code can mean another
unit after the reform.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.text import ascii_key


@dataclass(frozen=True)
class Scope:
    province: str | None = None  # a province's locality_id; None = every loaded unit of the country
    district: str | None = None  # a district's locality_id (2020 vintage), inside ``province``
    unit_type: str | None = None  # one unit type ('xa', 'phuong', ...); None = all

    @property
    def national(self) -> bool:
        return self.province is None

    def where(self, alias: str = "") -> tuple[str, list[object]]:
        """A WHERE fragment over a view with province_id, parent_id, locality_id, locality_type."""
        p = f"{alias}." if alias else ""
        clauses: list[str] = []
        params: list[object] = []
        if self.province:
            clauses.append(f"{p}province_id = ?")
            params.append(self.province)
        if self.district:
            clauses.append(f"({p}parent_id = ? OR {p}locality_id = ?)")
            params += [self.district, self.district]
        if self.unit_type:
            clauses.append(f"{p}locality_type = ?")
            params.append(self.unit_type)
        return (" AND ".join(clauses) or "TRUE"), params

    def cache_scope(self) -> str | None:
        """The province whose changes invalidate answers in this scope (None: any change does)."""
        return self.province


NATIONAL = Scope()


def search_sql(column: str) -> str:
    """SQL for a name compared without case, diacritics or tone placement (đ as d)."""
    return f"replace(strip_accents(lower({column})), 'đ', 'd')"


def search_term(text: str | None) -> str | None:
    """The LIKE pattern for a user's search text, or None for no search."""
    key = ascii_key(text or "")
    return f"%{key}%" if key else None
