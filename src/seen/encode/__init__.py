"""Agency side: normalise identifiers, encode them with the partnership key, write a package;
and, hub side, read a package back with every check (no key needed).

    key = PartnershipKey.generate(); key.save(Path("partnership.key"))
    summary = write_package(Path("school.seenpkg"), agency="northshire-schools",
                            agency_kind=extract.agency_kind, records=extract.records, key=key)
    package = read_package(Path("school.seenpkg"))

docs/encoding.md is the specification, with test vectors.
"""

from seen.encode.encoder import encode_records
from seen.encode.keys import PartnershipKey
from seen.encode.manifest import BloomParameters, PackageManifest, SourceFile
from seen.encode.mapped import read_mapped_extract
from seen.encode.mapping import FIELDS, parse_mapping
from seen.encode.package import PackageSummary, write_package
from seen.encode.reader import Package, read_package

__all__ = [
    "FIELDS",
    "BloomParameters",
    "Package",
    "PackageManifest",
    "PackageSummary",
    "PartnershipKey",
    "SourceFile",
    "encode_records",
    "parse_mapping",
    "read_mapped_extract",
    "read_package",
    "write_package",
]
