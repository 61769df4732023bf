"""Helpers of scripts/crash_test.py (kill -9 during imports and harvests)."""
