"""The elections service: election orders, programmes, voter lists, objections,
nominations, polling, counting, Forms 19M/19N, expense accounts and remuneration.
"""
