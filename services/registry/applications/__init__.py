"""Applications (registration, amendment, branch): workflow, tracker, promoter e-KYC."""
