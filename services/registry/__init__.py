"""The registry service: societies, registration/amendment/branch applications, bye-law
versions, the member register and liquidation.
"""
