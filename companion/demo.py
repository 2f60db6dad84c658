"""Demo history for seed_demo: grows as the product does."""


def seed_history(*, therapist, clients, stdout) -> None:
    return None
