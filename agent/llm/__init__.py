"""The LLM seam: settings, the chat provider, prompts as data, retries and cost."""
