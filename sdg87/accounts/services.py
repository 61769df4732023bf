def admin_create_initial() -> tuple[str, str] | None:
    return None
