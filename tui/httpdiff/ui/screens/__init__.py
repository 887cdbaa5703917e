"""Modal screens of the app: questions, name prompts, the resolved request and history."""
