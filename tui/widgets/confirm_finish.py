"""Asked before ``done`` (or ctrl+d) ends the interview: where each dimension stands, and
whether to finish now. Finishing is final for the report, so the safe answer is the
default: enter, ``n`` or escape carry on; ``y`` or the Finish button finish."""

from __future__ import annotations

from typing import ClassVar

from tui.widgets.yes_no import Layout, YesNo, listed

QUESTION = "Finish the interview now? (y/N)"


class ConfirmFinish(YesNo):
    """Dismissed with True to finish, False to carry on with the interview."""

    LAYOUT: ClassVar[Layout] = Layout(box="confirm", body="confirm-standing",
                                      no=("carry-on", "Carry on (n)"),
                                      yes=("finish", "Finish (y)"))

    def __init__(self, standing: list[str]) -> None:
        super().__init__(QUESTION, listed("Where each dimension stands:", standing,
                                          "Open dimensions stay unscored in the report."),
                         "confirm-finish")
