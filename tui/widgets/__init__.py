"""The interview app's widgets: chat pane, scorecard, evidence drawer, stakeholder form."""
