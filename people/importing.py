"""Reading a CSV of people and planning what importing it would change.

Nothing here writes: `plan_import` says, row by row, whether a person is new, would be
updated, is unchanged or has errors; `services.confirm_import` applies the plan.
"""

import csv
import io
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Role, Team, User

COLUMNS = {
    "email": {"email", "e mail", "correo", "correo electronico", "mail"},
    "full_name": {"nombre", "nombre completo", "full name", "name", "nombre y apellidos"},
    "team": {"equipo", "team"},
    "role": {"rol", "role", "perfil"},
    "employee_number": {
        "numero de empleado",
        "n de empleado",
        "no de empleado",
        "num empleado",
        "employee number",
        "employee id",
        "legajo",
    },
}
REQUIRED_COLUMNS = ("email", "full_name")
ROLE_NAMES = {
    "agente": Role.AGENT,
    "agent": Role.AGENT,
    "supervisor": Role.SUPERVISOR,
    "supervisora": Role.SUPERVISOR,
    "rrhh": Role.HR,
    "hr": Role.HR,
    "recursos humanos": Role.HR,
    "editor": Role.EDITOR,
    "editora": Role.EDITOR,
}


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why, for the person uploading."""


def normalise(text):
    """Lower case, no accents, no punctuation: 'Nº de Empleado' → 'n de empleado'."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    for mark in "_-.º°ª:/":
        text = text.replace(mark, " ")
    return " ".join(text.split())


def decode_upload(raw):
    """Text and encoding of an uploaded file: UTF-8 (with or without a BOM), else Windows-1252,
    the encoding spreadsheets on Windows save in; anything else is refused."""
    if b"\x00" in raw:
        raise ImportFileError(
            _("The file is not a CSV text file (is it a spreadsheet? Save it as CSV UTF-8).")
        )
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError as error:
        raise ImportFileError(
            _("The file's encoding could not be recognised. Save it as “CSV UTF-8”.")
        ) from error


@dataclass
class ParsedFile:
    columns: dict  # our field name → index of the column in the file
    rows: list  # (line number, {field: value})
    empty_lines: int = 0
    ignored_columns: list = field(default_factory=list)


def read_import(text):
    """Split the text into rows keyed by our field names, recognising Spanish or English
    headers, a comma, semicolon or tab as separator, and skipping empty lines."""
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise ImportFileError(_("The file is empty."))
    first_line = text.splitlines()[0]
    try:
        delimiter = csv.Sniffer().sniff(first_line, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    # Only the separator is guessed: quoting is RFC 4180's ("Juan ""Juanito"" Pérez"), which
    # the sniffer cannot see in a header without quotes.
    reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=delimiter)
    header = next(reader)
    columns, ignored = {}, []
    for index, title in enumerate(header):
        key = normalise(title)
        name = next((name for name, aliases in COLUMNS.items() if key in aliases), None)
        if name and name not in columns:
            columns[name] = index
        elif key:
            ignored.append(title.strip())
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise ImportFileError(
            _("The first line must name the columns; “email” and “nombre” are required.")
        )
    parsed = ParsedFile(columns=columns, rows=[], ignored_columns=ignored)
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            parsed.empty_lines += 1
            continue
        values = {
            name: (cells[index].strip() if index < len(cells) else "")
            for name, index in columns.items()
        }
        parsed.rows.append((reader.line_num, values))
        if len(parsed.rows) > settings.PEOPLE_IMPORT_MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(max)d rows; split it into smaller files.")
                % {"max": settings.PEOPLE_IMPORT_MAX_ROWS}
            )
    if not parsed.rows:
        raise ImportFileError(_("The file has a header but no people."))
    return parsed


@dataclass
class RowPlan:
    NEW = "new"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    ERROR = "error"

    line: int
    email: str
    full_name: str
    role: str
    team_name: str
    employee_number: str
    team: Team | None = None
    person: User | None = None
    status: str = NEW
    errors: list = field(default_factory=list)
    changes: list = field(default_factory=list)


@dataclass
class ImportPlan:
    NEW, UPDATE, UNCHANGED, ERROR = RowPlan.NEW, RowPlan.UPDATE, RowPlan.UNCHANGED, RowPlan.ERROR

    rows: list
    empty_lines: int = 0
    ignored_columns: list = field(default_factory=list)

    def count(self, status):
        return sum(1 for row in self.rows if row.status == status)

    @property
    def counts(self):
        return {
            status: self.count(status)
            for status in (self.NEW, self.UPDATE, self.UNCHANGED, self.ERROR)
        }

    @property
    def to_apply(self):
        return self.count(self.NEW) + self.count(self.UPDATE)


def plan_import(parsed):
    """Decide each row's fate against the database as it is now, in a fixed number of queries.

    A row is an error when its email is invalid or repeated in the file, its name is missing,
    its role or team is unknown, or its employee number is repeated or belongs to someone
    else. A row for an existing email updates the name and employee number, adds the role
    and moves an agent to the team given; it is unchanged when none of that differs.
    """
    rows = [
        RowPlan(
            line=line,
            email=values.get("email", "").lower(),
            full_name=" ".join(values.get("full_name", "").split()),
            role=values.get("role", ""),
            team_name=values.get("team", ""),
            employee_number=values.get("employee_number", ""),
        )
        for line, values in parsed.rows
    ]
    emails = {row.email for row in rows}
    existing = {
        person.email: person
        for person in User.objects.filter(email__in=emails).prefetch_related(
            "groups", "supervised_teams", "memberships__team"
        )
    }
    teams = {normalise(team.name): team for team in Team.objects.all()}
    numbers = {row.employee_number for row in rows if row.employee_number}
    number_owners = dict(
        User.objects.filter(employee_number__in=numbers).values_list("employee_number", "email")
    )
    first_line_of_email, first_line_of_number = {}, {}

    for row in rows:
        try:
            validate_email(row.email)
        except ValidationError:
            row.errors.append(
                _("“%(email)s” is not a valid email address.") % {"email": row.email}
                if row.email
                else _("The email is missing.")
            )
        else:
            if row.email in first_line_of_email:
                row.errors.append(
                    _("This email is already on line %(line)d of the file.")
                    % {"line": first_line_of_email[row.email]}
                )
            else:
                first_line_of_email[row.email] = row.line
        if not row.full_name:
            row.errors.append(_("The name is missing."))
        row.errors.extend(_too_long(row))
        role = ROLE_NAMES.get(normalise(row.role)) if row.role else Role.AGENT
        if role is None:
            row.errors.append(
                _("Unknown role “%(role)s”: use Agente, Supervisor, RRHH or Editor.")
                % {"role": row.role}
            )
        else:
            row.role = role
        if row.team_name:
            row.team = teams.get(normalise(row.team_name))
            if row.team is None:
                row.errors.append(_("Unknown team “%(team)s”.") % {"team": row.team_name})
        if row.employee_number:
            owner = number_owners.get(row.employee_number)
            if owner and owner != row.email:
                row.errors.append(
                    _("Employee number %(number)s belongs to %(email)s.")
                    % {"number": row.employee_number, "email": owner}
                )
            elif row.employee_number in first_line_of_number:
                row.errors.append(
                    _("Employee number %(number)s is already on line %(line)d of the file.")
                    % {
                        "number": row.employee_number,
                        "line": first_line_of_number[row.employee_number],
                    }
                )
            else:
                first_line_of_number[row.employee_number] = row.line

        if row.errors:
            row.status = row.ERROR
            continue
        row.person = existing.get(row.email)
        if row.person is None:
            row.status = row.NEW
            continue
        row.changes = _changes(row)
        row.status = row.UPDATE if row.changes else row.UNCHANGED

    return ImportPlan(
        rows=rows, empty_lines=parsed.empty_lines, ignored_columns=parsed.ignored_columns
    )


LENGTH_CHECKED = {
    "email": gettext_lazy("The email"),
    "full_name": gettext_lazy("The name"),
    "employee_number": gettext_lazy("The employee number"),
}


def _too_long(row):
    """A value longer than its column holds is an error of its row, on every database
    (SQLite would store it whole, PostgreSQL would refuse the import)."""
    errors = []
    for name, label in LENGTH_CHECKED.items():
        limit = User._meta.get_field(name).max_length
        if len(getattr(row, name)) > limit:
            errors.append(
                _("%(field)s has more than %(max)d characters.") % {"field": label, "max": limit}
            )
    return errors


def _changes(row):
    """What confirming `row` would change for its existing person, in words."""
    person, changes = row.person, []
    if person.full_name != row.full_name:
        changes.append(
            _("name: %(old)s → %(new)s") % {"old": person.full_name, "new": row.full_name}
        )
    if row.employee_number and person.employee_number != row.employee_number:
        changes.append(
            _("employee number: %(old)s → %(new)s")
            % {"old": person.employee_number or "—", "new": row.employee_number}
        )
    group_names = {group.name for group in person.groups.all()}
    if row.role not in group_names:
        changes.append(_("new role: %(role)s") % {"role": Role(row.role).label})
    if row.team is not None:
        if row.role == Role.SUPERVISOR:
            if row.team not in person.supervised_teams.all():
                changes.append(_("supervises: %(team)s") % {"team": row.team})
        else:
            current = next((m.team for m in person.memberships.all() if m.ended_at is None), None)
            if current != row.team:
                changes.append(
                    _("team: %(old)s → %(new)s") % {"old": current or "—", "new": row.team}
                )
    return changes
