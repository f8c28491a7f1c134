"""The assessment: its model (the contract's JSON), the rubric, and the pipeline."""
