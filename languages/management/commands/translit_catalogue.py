"""manage.py translit_catalogue [--check]: write locale/sr_Latn from locale/sr (Cyrillic)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from languages.catalogues import SOURCE, TARGET, latin_catalogue, po_path


class Command(BaseCommand):
    help = (
        "Generate the Serbian Latin interface catalogue (locale/sr_Latn) from the Cyrillic one "
        "(locale/sr) and compile it. With --check, only report whether it is up to date."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Exit with an error if locale/sr_Latn is not what locale/sr gives; write nothing.",
        )
        parser.add_argument(
            "--no-compile", action="store_true", help="Write the .po file only, not the .mo."
        )

    def handle(self, *args, check=False, no_compile=False, **options):
        source, target = po_path(SOURCE), po_path(TARGET)
        if not source.exists():
            raise CommandError(f"{source} does not exist: run makemessages -l {SOURCE} first.")
        wanted = latin_catalogue(source.read_text(encoding="utf-8"))
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if check:
            if current != wanted:
                raise CommandError(
                    f"{target} is out of step with {source}: run manage.py translit_catalogue."
                )
            self.stdout.write(f"{target} is up to date.")
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(wanted, encoding="utf-8")
        self.stdout.write(f"Wrote {target}.")
        if not no_compile:
            call_command(
                "compilemessages",
                locale=[TARGET],
                ignore_patterns=[".venv", "*/site-packages/*"],
                verbosity=0,
            )
