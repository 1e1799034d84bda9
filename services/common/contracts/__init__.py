"""Versioned pydantic models for every RPC payload and event body.

One module per producer (``platform`` for what every service answers, then one per
service as its domain lands). Producers build a model and send ``model.wire()``;
consumers read with ``Model.model_validate`` and ignore fields they do not know.
"""
