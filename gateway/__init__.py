"""HTTP gateway: FastAPI in front of the nameko services, speaking their AMQP RPC protocol."""
