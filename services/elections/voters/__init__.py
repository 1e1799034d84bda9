"""The voter list: drawn from the member register, objections, provisional and final lists."""
