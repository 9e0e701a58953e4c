def merge(a, b):
    """Merge two sorted lists into one sorted list."""
    return sorted(a + b)


if __name__ == "__main__":
    print(merge([1, 4], [2, 3]))
