"""The PostgreSQL writer role of docs/store.md: SELECT and INSERT only, and that is enough."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from trustsweep.errors import UserError
from trustsweep.store import open_store, record_sweep
from trustsweep.store.verify import verify
from trustsweep.testing.synthetic import synthetic_sweep


@pytest.mark.parametrize("store_url", ["postgresql"], indirect=True)
def test_writer_role_with_select_and_insert_records_and_verifies_but_cannot_change(
    tmp_path: Path, store_url: str
) -> None:
    import psycopg

    with open_store(store_url):  # the owner creates the schema
        pass
    schema = store_url.rsplit("search_path%3D", 1)[1]
    role = f"writer_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(store_url, autocommit=True) as owner:
        owner.execute(f"CREATE ROLE {role} LOGIN")
        owner.execute(f"GRANT USAGE ON SCHEMA {schema} TO {role}")
        owner.execute(f"GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA {schema} TO {role}")
    base, _, query = store_url.partition("?")
    writer_url = base.replace("postgresql://postgres@", f"postgresql://{role}@", 1) + "?" + query
    assert writer_url != store_url
    try:
        sweeps = [synthetic_sweep(tmp_path, resources_per_unit=5) for _ in range(2)]
        for s in sweeps:
            record_sweep(s, writer_url)
        with open_store(writer_url) as store:
            report = verify(store)
        assert report.ok and report.sweeps == 2
        # an auditor with SELECT only can verify, and a write is one clear error (exit 2), nothing stored
        with psycopg.connect(store_url, autocommit=True) as owner:
            owner.execute(f"REVOKE INSERT ON ALL TABLES IN SCHEMA {schema} FROM {role}")
        with open_store(writer_url) as store:
            assert verify(store).ok
        with pytest.raises(UserError, match="permission denied") as caught:
            record_sweep(synthetic_sweep(tmp_path, resources_per_unit=5), writer_url)
        assert "\n" not in str(caught.value)
        with open_store(store_url) as store:
            assert verify(store).sweeps == 2
        with psycopg.connect(writer_url, autocommit=True) as conn:
            for sql in (
                "UPDATE observations SET status = 'pass'",
                "DELETE FROM entries",
                "TRUNCATE findings",
                "DROP TRIGGER entries_append_only ON entries",
                "ALTER TABLE entries DISABLE TRIGGER ALL",
            ):
                with pytest.raises(psycopg.Error, match="permission denied|must be owner"):
                    conn.execute(sql)
    finally:
        with psycopg.connect(store_url, autocommit=True) as owner:
            owner.execute(f"DROP OWNED BY {role}")
            owner.execute(f"DROP ROLE {role}")
