//! The samples a read decodes.

use super::SampleSelection;
use crate::error::{ErrorKind, Fault, FaultResult};
use crate::header::Header;

/// The selected samples as column numbers (0 = first sample), sorted, plus the total
/// sample count, which every record must match.
#[derive(Debug, Clone, Default)]
pub(crate) struct Selection {
    pub(crate) columns: Vec<usize>,
    pub(crate) total: usize,
}

impl Selection {
    /// Turns the requested names into column numbers; an unknown name is an error that
    /// lists the samples the file has.
    pub(crate) fn resolve(
        header: &Header,
        selection: &SampleSelection,
    ) -> FaultResult<(Self, Vec<String>)> {
        let all = header.samples();
        let columns: Vec<usize> = match selection {
            SampleSelection::All => (0..all.len()).collect(),
            SampleSelection::Named(names) => {
                let mut columns = Vec::with_capacity(names.len());
                for name in names {
                    let column = all.iter().position(|s| s == name).ok_or_else(|| {
                        Fault::new(ErrorKind::UnknownSample {
                            sample: name.clone(),
                            available: all.to_vec(),
                        })
                    })?;
                    columns.push(column);
                }
                columns.sort_unstable();
                columns.dedup();
                columns
            }
        };
        let samples = columns.iter().map(|&c| all[c].clone()).collect();
        Ok((
            Selection {
                columns,
                total: all.len(),
            },
            samples,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> Header {
        Header::parse(
            "##fileformat=VCFv4.2\n\
             #CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tA\tB\tC\n",
        )
        .unwrap()
    }

    #[test]
    fn named_samples_resolve_to_sorted_unique_columns() {
        let named = SampleSelection::Named(vec!["C".into(), "A".into(), "C".into()]);
        let (selection, names) = Selection::resolve(&header(), &named).unwrap();
        assert_eq!(selection.columns, vec![0, 2]);
        assert_eq!(selection.total, 3);
        assert_eq!(names, vec!["A", "C"]);
        let (all, names) = Selection::resolve(&header(), &SampleSelection::All).unwrap();
        assert_eq!(all.columns, vec![0, 1, 2]);
        assert_eq!(names, vec!["A", "B", "C"]);
    }

    #[test]
    fn an_unknown_sample_is_an_error_listing_the_others() {
        let named = SampleSelection::Named(vec!["B".into(), "Z".into()]);
        let err = Selection::resolve(&header(), &named).unwrap_err();
        assert_eq!(
            err.kind.to_string(),
            "sample \"Z\" is not in the file; available samples: A, B, C"
        );
    }
}
