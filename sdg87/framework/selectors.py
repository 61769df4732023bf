def headline_estimates() -> list:
    return []


def target_87():
    return None
