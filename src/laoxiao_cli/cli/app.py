"""The `lx` command: every command registered here, and the one error boundary."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import Any

import typer
from typer.exceptions import Abort, Exit, TyperException

from laoxiao_cli import __version__
from laoxiao_cli.cli.commands import LazyCommands, summary_of
from laoxiao_cli.cli.helptext import HelpGroup


class LxGroup(HelpGroup):
    """Turns the project's errors into messages and exit codes; never shows a traceback. Its commands are
    loaded when used (``cli/commands.py``): `lx --help` and each command import only what they need."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = LazyCommands(dict(self.commands))

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)  # the names alone: TyperGroup's own lists the items, loading each

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The command list from the registry's summaries: no command is loaded to show it."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)
        with formatter.section("Commands"):
            formatter.write_dl([(name, summary_of(self.commands, name, limit)) for name in names])

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        """Click's own errors (usage, aborts) in Chinese; the exit codes of the spec."""
        from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError

        from laoxiao_cli.cli import usage
        from laoxiao_cli.cli.common import Outcome

        standalone = standalone_mode
        Outcome.partial = False
        try:
            kwargs["standalone_mode"] = False
            result = super().main(*args, **kwargs)
        except NoArgsIsHelpError as exc:  # `lx` (or `lx meeting`) alone: the help, as asked
            sys.stdout.write(exc.format_message() + "\n")
            code: Any = 0
        except UsageError as exc:
            usage.show(exc, sys.stderr.write)
            code = 2
        except ClickException as exc:
            sys.stderr.write(f"错误：{exc.format_message()}\n")
            code = exc.exit_code
        except Abort:
            sys.stderr.write("已中断。\n")
            code = 130
        else:
            code = result if isinstance(result, int) else 0
            if Outcome.partial and code == 0:  # a view from partial data (spec 13)
                code = 1
        if not standalone:
            return code
        sys.exit(code)

    def invoke(self, ctx: Any) -> Any:
        from laoxiao_cli.errors import InvalidData, LxError

        try:
            return super().invoke(ctx)
        except (Exit, Abort, TyperException):
            raise
        except InvalidData as exc:
            from laoxiao_cli.render.findings import text

            sys.stderr.write(exc.heading + "\n")
            sys.stderr.write(text(exc.findings, exc.files))
            if exc.advice:
                sys.stderr.write(exc.advice + "\n")
            raise Exit(1) from None
        except LxError as exc:
            sys.stderr.write(f"错误：{exc.message}\n")
            raise Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            sys.stderr.write("已中断。\n")
            raise Exit(130) from None
        except OSError as exc:
            from laoxiao_cli.cli.streams import os_error_message

            sys.stderr.write(f"错误：{os_error_message(exc)}\n")
            raise Exit(1) from None
        except Exception as exc:
            if os.environ.get("LX_DEBUG") == "1":
                raise
            sys.stderr.write(f"内部错误：{type(exc).__name__}: {exc}（设置 LX_DEBUG=1 可查看详细信息）\n")
            raise Exit(3) from None


app = typer.Typer(
    cls=LxGroup,
    name="lx",
    help="lx：瓯海区“一老一小”一体化试点工作专班的工作工具。数据是 Git 仓库中的 YAML 文件。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: rendering it with rich costs more than importing typer
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _data_path(value: str) -> Path:
    from laoxiao_cli.cli.options import data_path

    return data_path(value)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"lx {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    data: Path | None = typer.Option(
        None, "--data", metavar="<path>", parser=_data_path, help="数据文件夹（含 group.yaml）；也可写在各命令之后。"
    ),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="显示版本并退出。"),
) -> None:
    """lx：瓯海区“一老一小”一体化试点工作专班的工作工具。"""
    ctx.obj = {"data": data}


def main() -> None:
    from laoxiao_cli.cli.streams import finish, prepare

    # One command, then the process ends: no cycle collector. A warm city-sized view made ~100k objects
    # (unpickled records, then its own tables), and the collector, walking all of them again and again,
    # took 0.16 s of a 0.62 s `lx status` (issue 18). Records hold no reference cycles; reference counting
    # frees what a command drops, and peak memory measured the same (95 MB).
    gc.disable()
    prepare()
    try:
        app()
    except SystemExit as exc:
        code = exc.code
    else:
        code = 0
    sys.exit(finish(code))
