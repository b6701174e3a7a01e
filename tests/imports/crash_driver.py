"""Run inside a Meesaq process by test_import_crash: prepare an import, age claims, report state.

python crash_driver.py prepare ROWS   # an organisation, a case officer, a checked and queued file
python crash_driver.py age-claims     # make every running job's claim look abandoned
python crash_driver.py state RUN_ID   # counts as JSON on the last line
"""

from __future__ import annotations

import json
import sys
from datetime import timedelta

import django


def prepare(rows: int) -> dict[str, object]:
    from django.core.management import call_command

    from meesaq.access.roles import Role
    from meesaq.geo.models import AdminUnit
    from meesaq.imports.models import RunStatus
    from meesaq.imports.services import import_check, import_queue
    from tests.imports.conftest import csv_file, row
    from tests.personas import make_organisation, make_user

    if not AdminUnit.objects.exists():
        call_command("load_places", verbosity=0)
    centre = make_organisation("lhr-police-centre", "police_centre", "PK617")
    officer = make_user("caseofficer", centre, Role.CASE_OFFICER)
    data = csv_file([row(number) for number in range(1, rows + 1)])
    run = import_check(actor=officer, organisation=centre, data=data, file_name="register.csv")
    assert run.status == RunStatus.READY, run.report[:500]
    import_queue(actor=officer, run=run)  # the job is enqueued when its transaction commits
    return {"run_id": run.pk}


def age_claims() -> dict[str, object]:
    from django.utils import timezone
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from meesaq.core.tasks import STALE_AFTER

    aged = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).update(
        started_at=timezone.now() - STALE_AFTER - timedelta(minutes=1)
    )
    return {"aged": aged}


def state(run_id: int) -> dict[str, object]:
    from django_tasks_db.models import DBTaskResult

    from meesaq.cases.models import Case, Person
    from meesaq.imports.models import ImportedRecord, ImportRun

    run = ImportRun.objects.get(pk=run_id)
    job = DBTaskResult.objects.get(task_path="meesaq.imports.tasks.run_import")
    return {
        "status": run.status,
        "created_count": run.created_count,
        "cases": Case.objects.count(),
        "distinct_titles": Case.objects.values("title").distinct().count(),
        "people": Person.objects.count(),
        "records": ImportedRecord.objects.count(),
        "job_status": job.status,
        "job_workers": job.worker_ids,
    }


def main() -> None:
    """Do what the first argument says and print the result as JSON."""
    django.setup()
    command = sys.argv[1]
    if command == "prepare":
        result = prepare(int(sys.argv[2]))
    elif command == "age-claims":
        result = age_claims()
    else:
        result = state(int(sys.argv[2]))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
