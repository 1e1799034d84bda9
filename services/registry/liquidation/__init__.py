"""Liquidation of societies: orders, proceedings, assets and liabilities, the return."""
