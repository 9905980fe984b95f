from __future__ import annotations

import pytest

from emulator import numbers


@pytest.mark.parametrize("digits", ["12125550100", "+442071234567", "15552104427", "61212345678"])
def test_possible_numbers(digits):
    assert numbers.is_possible(digits)


@pytest.mark.parametrize("digits", ["", "1212", "114372122296", "12125550100x", "٣٣١٢٣٤٥٦٧٨٩", "+"])
def test_impossible_numbers(digits):
    assert not numbers.is_possible(digits)


def test_destination_names_come_from_geocoding_data():
    assert numbers.destination_name("442071234567") == "United Kingdom - London"
    assert numbers.destination_name("12125550100") == "United States - New York, NY"
    assert numbers.destination_name("15552104427") == "United States"
    assert numbers.destination_name("junk") == "Unknown"
