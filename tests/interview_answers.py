"""A stakeholder's scripted interview answers, shared by the interview tests (CLI and
terminal app) and scripts/bench_interview.py."""

#: Twelve answers with checkable facts, two per enterprise-ai dimension. The offline engine
#: files each under whatever indicators it matches, so the order of questions never matters.
SCRIPTED_ANSWERS = [
    "We have a dedicated AI budget line of 2 million this year, approved by the CFO, and "
    "three AI features are live in production since 2023.",
    "Our production datasets are documented in the project wiki with source, schema and "
    "refresh timing, and they arrive through scripted Airflow pipelines every night.",
    "We have two teams of data scientists and four ML engineers, and in 2024 the churn team "
    "took its first model from prototype to production.",
    "Before a critical model goes live it goes through our documented review checklist, and we "
    "keep model cards for the 5 critical models.",
    "Every team tracks experiments in MLflow, and our production models are deployed as Docker "
    "containers on SageMaker endpoints with Grafana latency dashboards.",
    "Product managers and engineers jointly define every AI feature in a weekly planning "
    "session, and each AI team holds a retrospective after every release.",
    "Our written AI strategy, owned by the COO, was endorsed by the leadership team in "
    "January 2024.",
    "A data owner is named for each of the 40 datasets in the catalog.",
    "Twelve engineers finished the AI upskilling programme last quarter.",
    "Our acceptable-use policy says no customer data goes to external LLM APIs, since "
    "March 2024.",
    "Drift detection with Evidently runs nightly on the 3 key production models.",
    "Retrospectives of failed experiments are published on Confluence for the whole company "
    "every month.",
]
