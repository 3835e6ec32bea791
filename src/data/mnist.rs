//! MNIST and Fashion-MNIST: where the files are, and reading them into datasets.
//!
//! Both sets are four IDX files (training and test images and labels, raw or `.gz`) of
//! 28×28 grey images in 10 classes: 60,000 for training and 10,000 for testing. Images stay
//! bytes in memory ([`Features::U8`], scaled to [0, 1] per batch); labels become one-hot rows.
//!
//! Where the files are looked for, in order: `--data-dir DIR` (only there, if given), then
//! `$SCRATCHNET_DATA/<name>`, then the user cache folder (`$XDG_CACHE_HOME/scratchnet/<name>`
//! or `~/.cache/scratchnet/<name>`, where `scratchnet data download` puts them, and where `train`
//! downloads them when they are found nowhere), then for Fashion-MNIST the Debian/Ubuntu
//! package's folder `/usr/share/datasets/fashion-mnist`.

use std::path::{Path, PathBuf};

use super::{Dataset, Features, Task, idx, one_hot};
use crate::{Error, t};

/// Which of the two sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Mnist,
    Fashion,
}

/// The four files, without `.gz`: training images, training labels, test images, test labels.
pub const FILES: [&str; 4] = [
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
];

/// Image side in pixels.
pub const SIDE: usize = 28;

impl Kind {
    /// `mnist` or `fashion-mnist`: the `--dataset` name and the data folder's name.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Mnist => "mnist",
            Kind::Fashion => "fashion-mnist",
        }
    }

    /// The ten class names, by label.
    pub fn class_names(self) -> Vec<String> {
        let names: [&str; 10] = match self {
            Kind::Mnist => ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
            Kind::Fashion => [
                "T-shirt/top",
                "Trouser",
                "Pullover",
                "Dress",
                "Coat",
                "Sandal",
                "Shirt",
                "Sneaker",
                "Bag",
                "Ankle boot",
            ],
        };
        names.iter().map(|s| s.to_string()).collect()
    }

    /// SHA-256 of each file's *uncompressed* contents, in the order of [`FILES`]. Hashing the
    /// IDX bytes, not the `.gz`, accepts any faithful copy, raw or recompressed.
    pub fn sha256(self) -> [&'static str; 4] {
        match self {
            Kind::Mnist => [
                "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
                "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
                "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
                "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
            ],
            Kind::Fashion => [
                "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
                "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
                "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
                "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
            ],
        }
    }

    /// The public mirrors of the `.gz` files, tried in this order: torchvision's copy and the
    /// CVDF's copy on cloud storage (fast and kept up), then the original site for MNIST
    /// (often refuses or asks for a login nowadays); for Fashion-MNIST, Zalando's own bucket,
    /// then its GitHub repository. The SHA-256 check makes a mirror's honesty irrelevant.
    pub fn mirrors(self) -> &'static [&'static str] {
        match self {
            Kind::Mnist => &[
                "https://ossci-datasets.s3.amazonaws.com/mnist/",
                "https://storage.googleapis.com/cvdf-datasets/mnist/",
                "http://yann.lecun.com/exdb/mnist/",
            ],
            Kind::Fashion => &[
                "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
                "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
            ],
        }
    }

    /// The four `.gz` files together, in megabytes, rounded up (the originals: 11.6 MB for
    /// MNIST, 30.9 MB for Fashion-MNIST); said before a download starts.
    pub fn download_megabytes(self) -> u32 {
        match self {
            Kind::Mnist => 12,
            Kind::Fashion => 31,
        }
    }
}

/// The user cache folder for `kind`, if a home folder is known.
pub fn cache_dir(kind: Kind) -> Option<PathBuf> {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))?;
    Some(cache.join("scratchnet").join(kind.name()))
}

/// The folders to look in, in order (see the module documentation).
pub fn candidate_dirs(kind: Kind, data_dir: Option<&Path>) -> Vec<PathBuf> {
    if let Some(dir) = data_dir {
        return vec![dir.to_path_buf()];
    }
    let mut dirs = Vec::new();
    if let Some(root) = std::env::var_os("SCRATCHNET_DATA").filter(|v| !v.is_empty()) {
        dirs.push(PathBuf::from(root).join(kind.name()));
    }
    dirs.extend(cache_dir(kind));
    if kind == Kind::Fashion {
        dirs.push(PathBuf::from("/usr/share/datasets/fashion-mnist"));
    }
    dirs
}

/// `dir/name`, or `dir/name.gz`, whichever exists.
pub fn find_file(dir: &Path, name: &str) -> Option<PathBuf> {
    [dir.join(name), dir.join(format!("{name}.gz"))].into_iter().find(|p| p.is_file())
}

/// The first of `dirs` that holds all four files.
///
/// # Errors
/// [`Error::MissingData`] listing every folder and what it lacked, with how to get the files.
pub fn locate(kind: Kind, dirs: &[PathBuf]) -> Result<PathBuf, Error> {
    let mut searched = Vec::new();
    for dir in dirs {
        let missing: Vec<&str> = FILES.iter().copied().filter(|f| find_file(dir, f).is_none()).collect();
        if missing.is_empty() {
            return Ok(dir.clone());
        }
        let why = if dir.is_dir() {
            t!("data.mnist.missing-files", files = missing.join(", "))
        } else {
            t!("data.mnist.no-folder").to_string()
        };
        searched.push(t!("data.mnist.searched", dir = dir.display(), why = why));
    }
    let name = kind.name();
    Err(Error::MissingData {
        what: t!("data.mnist.files", name = name, files = FILES.join(", ")),
        searched: searched.join("; "),
        hint: match kind {
            Kind::Fashion => t!("data.mnist.hint-fashion", name = name),
            Kind::Mnist => t!("data.mnist.hint", name = name),
        },
    })
}

/// Reads one images file and its labels file into a dataset.
fn load_pair(kind: Kind, name: &str, images: &Path, labels: &Path) -> Result<Dataset, Error> {
    let images_idx = idx::read(images, 3)?;
    let labels_idx = idx::read(labels, 1)?;
    let bad = |path: &Path, message: String| Error::Data { path: path.display().to_string(), message };
    if images_idx.dims[1..] != [SIDE, SIDE] {
        let size = format!("{:?}", &images_idx.dims[1..]);
        return Err(bad(images, t!("data.mnist.image-size", size = size)));
    }
    let count = images_idx.dims[0];
    if labels_idx.dims[0] != count {
        let (labels_count, images_file) = (labels_idx.dims[0], images.display());
        return Err(bad(
            labels,
            t!("data.mnist.label-count", labels = labels_count, images = count, file = images_file),
        ));
    }
    if let Some(i) = labels_idx.data.iter().position(|&l| l > 9) {
        return Err(bad(labels, t!("data.mnist.bad-label", label = labels_idx.data[i], sample = i)));
    }
    let labels: Vec<usize> = labels_idx.data.iter().map(|&l| usize::from(l)).collect();
    let inputs = Features::U8 { rows: count, cols: SIDE * SIDE, bytes: images_idx.data, scale: 1.0 / 255.0 };
    let mut data = Dataset::from_features(name, inputs, one_hot(&labels, 10), Task::Classes(10))?;
    data.class_names = kind.class_names();
    Ok(data)
}

/// The training (60,000) and test (10,000) sets from the files in `dir`.
///
/// # Errors
/// [`Error::MissingData`] if a file is missing, [`Error::Data`] if one is damaged.
pub fn load(kind: Kind, dir: &Path) -> Result<(Dataset, Dataset), Error> {
    let paths = locate(kind, &[dir.to_path_buf()])?;
    let file = |name: &str| find_file(&paths, name).expect("locate found every file");
    let train = load_pair(kind, kind.name(), &file(FILES[0]), &file(FILES[1]))?;
    let test = load_pair(kind, kind.name(), &file(FILES[2]), &file(FILES[3]))?;
    Ok((train, test))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes a tiny MNIST-like set (n images of 28×28, labels i % 10) into `dir`.
    fn write_tiny(dir: &Path, n: usize, gz: bool) {
        use std::io::Write;
        std::fs::create_dir_all(dir).unwrap();
        let images: Vec<u8> = (0..n * SIDE * SIDE).map(|i| (i % 256) as u8).collect();
        let labels: Vec<u8> = (0..n).map(|i| (i % 10) as u8).collect();
        for (name, bytes) in [
            (FILES[0], idx::encode(&[n, SIDE, SIDE], &images)),
            (FILES[1], idx::encode(&[n], &labels)),
            (FILES[2], idx::encode(&[n, SIDE, SIDE], &images)),
            (FILES[3], idx::encode(&[n], &labels)),
        ] {
            if gz {
                let file = std::fs::File::create(dir.join(format!("{name}.gz"))).unwrap();
                let mut enc = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
                enc.write_all(&bytes).unwrap();
                enc.finish().unwrap();
            } else {
                std::fs::write(dir.join(name), bytes).unwrap();
            }
        }
    }

    #[test]
    fn loads_raw_and_gzip_files() {
        for gz in [false, true] {
            let dir = std::env::temp_dir().join(format!("scratchnet-mnist-{gz}-{}", std::process::id()));
            write_tiny(&dir, 12, gz);
            let (train, test) = load(Kind::Mnist, &dir).unwrap();
            assert_eq!((train.len(), test.len(), train.n_features(), train.n_outputs()), (12, 12, 784, 10));
            assert_eq!(train.targets.argmax_row(11), 1);
            let x = train.inputs.gather(&[0]);
            assert!((x.get(0, 1) - 1.0 / 255.0).abs() < 1e-7);
            std::fs::remove_dir_all(&dir).unwrap();
        }
    }

    #[test]
    fn missing_files_are_listed_with_where_they_were_looked_for() {
        let dir = std::env::temp_dir().join(format!("scratchnet-mnist-missing-{}", std::process::id()));
        write_tiny(&dir, 3, false);
        std::fs::remove_file(dir.join(FILES[3])).unwrap();
        let err = locate(Kind::Fashion, &[dir.clone(), PathBuf::from("/nonexistent")]).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("missing t10k-labels-idx1-ubyte") && text.contains("/nonexistent (no such folder)"),
            "{text}"
        );
        assert!(
            err.hint().contains("scratchnet data download fashion-mnist")
                && err.hint().contains("apt install")
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn labels_out_of_range_and_mismatched_counts_are_errors() {
        let dir = std::env::temp_dir().join(format!("scratchnet-mnist-bad-{}", std::process::id()));
        write_tiny(&dir, 4, false);
        std::fs::write(dir.join(FILES[1]), idx::encode(&[4], &[1, 2, 30, 4])).unwrap();
        assert!(load(Kind::Mnist, &dir).unwrap_err().to_string().contains("label 30 of sample 2"));
        std::fs::write(dir.join(FILES[1]), idx::encode(&[3], &[1, 2, 3])).unwrap();
        assert!(load(Kind::Mnist, &dir).unwrap_err().to_string().contains("3 labels for 4 images"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn real_mnist_if_available() {
        let Some(root) = std::env::var_os("SCRATCHNET_DATA") else {
            eprintln!("skipped: SCRATCHNET_DATA is not set, so the real MNIST test did not run");
            return;
        };
        let (train, test) = load(Kind::Mnist, &PathBuf::from(root).join("mnist")).unwrap();
        assert_eq!((train.len(), test.len()), (60_000, 10_000));
        // the first training image is a 5, the first test image a 7
        assert_eq!((train.targets.argmax_row(0), test.targets.argmax_row(0)), (5, 7));
    }
}
